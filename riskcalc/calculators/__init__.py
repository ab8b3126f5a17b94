"""One module per calculator: its form, what its template shows, and its API output spec."""
