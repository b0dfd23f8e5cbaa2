"""Strawberry types, inputs and enums, the Schema object, and the exported SDL."""
