"""Links: parsing the values that arrive in a page's address. Pure, with doctests."""
