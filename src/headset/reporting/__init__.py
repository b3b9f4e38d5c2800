"""Reports: KPIs over plain contact records and agent state spans, per period or interval."""
