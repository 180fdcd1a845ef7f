app_name = "lgsp_dmdc"
urlpatterns: list = []
