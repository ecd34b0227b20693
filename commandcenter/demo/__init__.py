"""The demo district: territory, staff, accounts and a history played through the workflow."""
