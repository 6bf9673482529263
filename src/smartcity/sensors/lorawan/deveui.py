"""The LoRaWAN device identifier (DevEUI) as the platform stores it."""


def normalise_dev_eui(text: str) -> str:
    """A DevEUI as 16 upper-case hex digits; separators (``-``, ``:``, spaces) are dropped.
    Raises ValueError for anything else."""
    value = "".join(ch for ch in str(text) if ch not in "-: ").upper()
    if len(value) != 16 or any(ch not in "0123456789ABCDEF" for ch in value):
        raise ValueError(f"a DevEUI has 16 hexadecimal digits, not {text!r}")
    return value
