"""The living demo center: two tenants, their people, simulated customers and agents."""
