"""IEP Right: a dated, contemporaneous log of whether an IEP or 504 plan is delivered."""
