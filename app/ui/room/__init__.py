"""The facilitator's side of room mode: Workshop > Open Room, the projector panel with the
join QR code, and the inbox. The server and the rules are Qt-free in :mod:`app.room`."""
