"""A simulated SMS brand-name gateway speaking the HTTP JSON protocol of Vietnamese providers."""
