"""Logging in and out, registering with e-mail confirmation, staff's two factors."""
