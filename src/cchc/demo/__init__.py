"""The demo of the whole site (`cchc demo`): the top layer, above every app, since it loads
each app's sample data (cchc.<app>.demo) in order."""
