"""Licence knowledge base, text identification and the concluded licence of the weights."""
