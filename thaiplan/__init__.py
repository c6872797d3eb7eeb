"""thaiplan: Thai local-government plan tables to a checkable dataset."""
