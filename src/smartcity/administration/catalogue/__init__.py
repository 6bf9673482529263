"""The service catalogue: what people can apply for, searchable, grouped by life situation."""
