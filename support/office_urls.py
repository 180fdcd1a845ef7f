app_name = "support_office"

urlpatterns: list = []
