app_name = "lgsp_office"
urlpatterns: list = []
