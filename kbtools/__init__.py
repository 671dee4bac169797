"""Tooling for the knowledge base: validators, status, search, PDF and offline builds."""
