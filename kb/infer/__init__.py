"""Inference: rule conditions evaluated on the facts of a finding."""
