"""Paying fees: by bank transfer with a Kassenzeichen and GiroCode, or through a provider."""
