"""Prints text that is markup in HTML: the check's page must show it as text."""
print("<script>alert('x')</script> & <b>bold</b>")
