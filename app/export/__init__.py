"""Renderers of a layout: PDF, PNG, SVG, preflight and paper sizes."""
