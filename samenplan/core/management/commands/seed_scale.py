import time

from django.core.management.base import BaseCommand, CommandError

from samenplan.core import scale


class Command(BaseCommand):
    help = ("Build a national-scale dataset for benchmarks: 31 regions, 10 care offices, 450 organisations, "
            "2,400 locations, a plan per organisation for 3 years with versions, 100,000 signals. Logins, all with "
            "--password and is_demo (no second factor while SAMENPLAN_DEMO=1): schaal-zorgkantoor-NN for each care "
            "office and schaal-raad-NNN, a member of the central client council of the NNN-th organisation (who "
            "reads its signals). Refuses when it exists already.")

    def add_arguments(self, parser):
        defaults = scale.Options()
        parser.add_argument("--regions", type=int, default=defaults.regions)
        parser.add_argument("--care-offices", type=int, default=defaults.care_offices)
        parser.add_argument("--organisations", type=int, default=defaults.organisations)
        parser.add_argument("--locations", type=int, default=defaults.locations)
        parser.add_argument("--years", type=int, default=defaults.years,
                            help="plan years: the ones before this year's, this year, and the next (default 3)")
        parser.add_argument("--year", type=int, default=None, help="this year's plans (default: the calendar year)")
        parser.add_argument("--password", default=defaults.password,
                            help="password of the users schaal-zorgkantoor-NN and schaal-raad-NNN")
        parser.add_argument("--signals", type=int, default=None, metavar="N",
                            help="signals over all locations and plan years (default: about 42 per location, "
                                 "100,000 for 2,400 locations; 0 for none)")
        parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed (same seed, same data)")
        parser.add_argument("--not-started", type=float, default=defaults.skip_share, metavar="SHARE",
                            help="share (0-1) of this and next year's plans left out, as organisations that have "
                                 "not started (default 0: a plan for every organisation and year)")

    def handle(self, *args, **options):
        opts = scale.Options(regions=options["regions"], care_offices=options["care_offices"],
                             organisations=options["organisations"], locations=options["locations"],
                             years=options["years"], year=options["year"], password=options["password"],
                             seed=options["seed"], skip_share=options["not_started"], signals=options["signals"])
        if opts.regions < 1 or opts.regions > 999:
            raise CommandError("--regions must be between 1 and 999")
        if opts.organisations < 1 or opts.locations < opts.organisations:
            raise CommandError("--locations must be at least --organisations (every organisation has a location)")
        if not 0 <= opts.skip_share <= 1:
            raise CommandError("--not-started must be between 0 and 1")
        if opts.years < 1:
            raise CommandError("--years must be at least 1")
        if opts.signals is not None and opts.signals < 0:
            raise CommandError("--signals must be 0 or more")
        started = time.monotonic()
        try:
            seed = scale.build(opts, out=self.stdout.write)
        except scale.SeedExists:
            # Versions can be neither changed nor deleted, so there is no --fresh: use a new database.
            self.stdout.write("seed_scale: the scale dataset is in this database already; nothing done. "
                              "Use an empty database to build it again.")
            return
        except LookupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"seed_scale: built in {time.monotonic() - started:.1f} s; plan years "
                          f"{', '.join(map(str, seed.years))} (this year: {seed.year})")
        for label, count in sorted(seed.counts.items()):
            self.stdout.write(f"  {label:<34} {count:>8}")
        from collections import Counter

        from samenplan.plans.models import QualityPlan

        states = Counter(QualityPlan.objects.values_list("year", "status"))
        for year in seed.years:
            spread = ", ".join(f"{status} {n}" for (y, status), n in sorted(states.items()) if y == year)
            self.stdout.write(f"  plans {year}: {spread}")
        largest = max(seed.care_offices, key=lambda office: sum(
            1 for o in seed.organisations if seed.office_of_region[o.region_id] == office))
        index = seed.care_offices.index(largest)
        self.stdout.write(f"  care-office users schaal-zorgkantoor-01..{len(seed.care_offices):02d}, password "
                          f"{opts.password!r} (second factor skipped only with SAMENPLAN_DEMO=1); the largest care "
                          f"office is {largest.name!r} (id {largest.pk}), user "
                          f"{seed.care_office_users[index].username}")
        if seed.signals_per_organisation:
            busiest = max(seed.organisations, key=lambda o: (seed.signals_per_organisation.get(o.pk, 0), -o.pk))
            self.stdout.write(f"  council members schaal-raad-001..{len(seed.organisations):03d}, same password; the "
                              f"organisation with the most signals is {busiest.name!r} (id {busiest.pk}, "
                              f"{seed.signals_per_organisation[busiest.pk]} signals), user "
                              f"{seed.council_users[busiest.pk].username}")
