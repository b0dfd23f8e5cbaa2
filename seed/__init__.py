"""The source document as data, its idempotent loader, and (marked synthetic) demo generators."""
