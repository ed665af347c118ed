/* lib/ai's elementary functions against the host libm (an independent
 * implementation), over the ranges and bounds nc/ai_math.h promises. */
#include <math.h>
#include <stdio.h>

#include <nc/ai_math.h>
#include <nc_test.h>

static void note_error(const char *what, double err)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%g", err);
	nc_test_note("%s %s", what, buf);
}

static double rel_err(double got, double want)
{
	return want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
}

NC_TEST(ai_math, exp_matches_libm)
{
	double worst = 0;
	for (double x = -745; x <= 709; x += 0.0137) {
		double e = rel_err(nc_ai_exp(x), exp(x));
		if (exp(x) > 1e-300 && e > worst)
			worst = e;
	}
	note_error("exp worst relative error", worst);
	NC_CHECK(worst < 4e-16);
	NC_CHECK(nc_ai_exp(800) == INFINITY);
	NC_CHECK(nc_ai_exp(-800) == 0);
	NC_CHECK(nc_ai_exp(0) == 1);
}

NC_TEST(ai_math, log_matches_libm)
{
	double worst = 0;
	for (double x = 1e-300; x < 1e300; x *= 1.0371) {
		double l = log(x), g = nc_ai_log(x);
		double e = fabs(l) < 1 ? fabs(g - l) : rel_err(g, l);
		if (e > worst)
			worst = e;
	}
	for (double x = 0.5; x < 2; x += 1e-4) {
		double e = fabs(nc_ai_log(x) - log(x));
		if (e > worst)
			worst = e;
	}
	note_error("log worst error", worst);
	NC_CHECK(worst < 4e-16);
	NC_CHECK(nc_ai_log(0) == -INFINITY);
	NC_CHECK(isnan(nc_ai_log(-1)));
	NC_CHECK(fabs(nc_ai_log(4.9e-324) - log(4.9e-324)) < 1e-12);
}

NC_TEST(ai_math, sin_cos_match_libm)
{
	double worst = 0;
	for (double x = -1e5; x <= 1e5; x += 0.731) {
		double e1 = fabs(nc_ai_sin(x) - sin(x)), e2 = fabs(nc_ai_cos(x) - cos(x));
		if (e1 > worst)
			worst = e1;
		if (e2 > worst)
			worst = e2;
	}
	note_error("sin/cos worst absolute error", worst);
	NC_CHECK(worst < 1e-15);
	NC_CHECK(isnan(nc_ai_sin(1e300)));
}

NC_TEST(ai_math, expf_sqrt)
{
	int bad = 0;
	for (float x = -87; x < 88; x += 0.0123f) {
		float want = expf(x), got = nc_ai_expf(x);
		if (fabsf(got - want) > 1.2e-7f * want)
			bad++;
	}
	NC_CHECK_EQ(bad, 0);
	for (double x = 1e-20; x < 1e20; x *= 1.37) {
		NC_CHECK(nc_ai_sqrt(x) == sqrt(x));
		NC_CHECK(nc_ai_sqrtf((float)x) == sqrtf((float)x));
	}
}
