"""Specs of L19: Process.exitcode for each way a child ends (lab/data/behaviors/exit_codes.toml)."""
import pytest

from lab.expectations import expected

CASES = [("return", "exit_codes_return"), ("sys.exit(3)", "exit_codes_sys_exit_n"),
         ("sys.exit(text)", "exit_codes_sys_exit_text"), ("exception", "exit_codes_exception"),
         ("terminate()", "exit_codes_terminate")]


@pytest.mark.claim("L19")
@pytest.mark.parametrize("case, expectation", CASES, ids=[c for c, _ in CASES])
def test_exitcode(probe, spec, start_method, case, expectation):
    obs = probe("exit_codes", start_method)
    spec.check(obs.one(case).value, expected(expectation, start_method=start_method))


@pytest.mark.claim("L19")
def test_uncaught_exception_prints_its_traceback(probe, spec, start_method):
    obs = probe("exit_codes", start_method)
    lines = obs.stderr
    found = ("Process L19-exception:" in lines and "Traceback (most recent call last):" in lines
             and "ValueError: L19: uncaught in the child" in lines)
    spec.check(found, True, labels={True: "'Process NAME:' and the traceback on stderr",
                                    False: "no traceback on stderr"})


@pytest.mark.claim("L19")
def test_sys_exit_text_goes_to_stderr(probe, spec, start_method):
    obs = probe("exit_codes", start_method)
    spec.check("L19: exiting with a message" in obs.stderr, True,
               labels={True: "the text on stderr", False: "the text missing from stderr"})
