"""The call-center simulator: arrivals, handle times and patience driving the real engine."""
