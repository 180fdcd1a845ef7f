app_name = "lgsp"
urlpatterns: list = []
