"""Graphics items of the canvas: each paints pre-laid-out boxes from the layout engine."""
