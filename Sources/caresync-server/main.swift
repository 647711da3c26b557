print("caresync-server: not yet built")
