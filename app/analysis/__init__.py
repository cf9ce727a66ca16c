"""What a journey map tells you: pure, Qt-free functions over DocumentData and a map id."""
