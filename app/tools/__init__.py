"""Tools the model may call: plugins, their schemas, the built-in ones, MCP servers, and running
a call safely."""
