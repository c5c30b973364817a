#!/usr/bin/env node
// Bench agent: never finishes (the daemon stops it with SIGTERM on shutdown).
setInterval(() => {}, 1 << 30);
