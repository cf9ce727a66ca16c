"""Data in and out: CSV, XLSX, JSON and Mermaid."""
