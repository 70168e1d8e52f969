"""Structured event records (GDELT, ACLED): format sniffing, readers, code tables -> Fragments."""
