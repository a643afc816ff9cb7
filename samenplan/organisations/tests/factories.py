import factory

from samenplan.organisations.models import CareOffice, Council, LearningNetwork, Location, Organisation, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Regio {n}")


class CareOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareOffice
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Zorgkantoor {n}")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.add(*extracted)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Zorgorganisatie {n}")
    kvk_number = factory.Sequence(lambda n: f"{50000000 + n:08d}")
    region = factory.SubFactory(RegionFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    kvk_establishment_number = factory.Sequence(lambda n: f"{n:012d}")
    street = "Dorpsstraat 1"
    postal_code = "1234 AB"
    city = "Ergens"
    places = 40
    is_active = True


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Council.Kind.CLIENT_COUNCIL
    name = factory.LazyAttribute(lambda c: f"{c.kind} {c.organisation.name}")
    location = None


class LearningNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningNetwork
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lerend netwerk {n}")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.add(*extracted)
