from training import demo as training_demo
from training.models import Certificate, Course, Enrolment, Material, Session


def _counts():
    return [model.objects.count() for model in (Course, Session, Enrolment, Certificate, Material)]


def test_the_demo_loads_twice_without_duplicates(demo):
    training_demo.load_demo()
    first = _counts()
    training_demo.load_demo()
    assert _counts() == first
    assert Course.objects.get(code=training_demo.SECURITY).mandatory_for_all
