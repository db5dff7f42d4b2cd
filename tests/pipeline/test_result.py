"""What one article yields, as it crosses to the store: the SimHash is worked out by whoever asks
for it first (the store, in a run's writer), not by the extraction."""
import dataclasses
import pickle
from pathlib import Path

from pipeline.fetch import read_file
from pipeline.process import process_article
from pipeline.result import body_of
from pipeline.simhash import simhash

SEED = sorted((Path(__file__).resolve().parents[2] / "corpus" / "seeds").glob("*.txt"))[0]


def test_the_simhash_is_the_bodys_worked_out_only_when_asked_for():
    result = process_article(read_file(SEED))
    sent = pickle.loads(pickle.dumps(result))             # as a worker hands it to the run's writer
    assert vars(sent)["_simhash"] is None                  # the extraction did not compute it
    assert sent.simhash == simhash(body_of(sent.text)) and vars(sent)["_simhash"] == sent.simhash
    # The body's hash: the same report re-posted under a new headline hashes alike.
    raw = read_file(SEED)
    reposted = dataclasses.replace(raw, content="Đăng lại: hội nghị Đề án 06\n" + raw.content.partition("\n")[2])
    assert process_article(reposted).simhash == result.simhash
