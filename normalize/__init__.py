"""Turn a RawDocument into a canonical Plan."""
