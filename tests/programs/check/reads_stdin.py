"""A program that asks for input."""
name = input("your name: ")
print("hello", name)
