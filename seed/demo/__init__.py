"""The demo province: a clearly labelled synthetic Gansu (every node `synthetic: true`), generated
from a seed, so a new user sees a living system. Never mixed up with real data: see README."""
