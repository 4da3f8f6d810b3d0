"""Response and resolution: how long customers wait for answers and tickets take to solve."""
