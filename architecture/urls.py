app_name = "architecture"

urlpatterns: list = []
