app_name = "itplanning"

urlpatterns: list = []
