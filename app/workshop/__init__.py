"""Workshop state that is not document content, and views of the document for a workshop.

Qt-free on purpose: the canvas (app.ui), the room server (app.room) and tests read the
same objects. :mod:`app.workshop.timer` is the facilitator's countdown;
:mod:`app.workshop.dots` answers "how many dots has each voter left" from the document;
:mod:`app.workshop.state` bundles what one open map's workshop shares (the timer, the
voter at the keyboard, reveal mode).
"""
