"""The analog channel: clerks enter applications at the counter and record paper ones."""
