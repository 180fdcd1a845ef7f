app_name = "nationalsync"
urlpatterns: list = []
