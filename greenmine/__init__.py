"""GreenMine Graph (绿矿图谱): the service shell (configuration, HTTP app, command line)."""
