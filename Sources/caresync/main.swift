print("caresync: not yet built")
