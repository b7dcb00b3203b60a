"""A Hypothesis state machine over the ledger: append, checkpoint, prove, verify, fail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from amanah.clock import FixedClock
from amanah.domain.occurrence.commands import RecordOccurrence
from amanah.domain.shared import Actor
from amanah.errors import AmanahError
from amanah.ledger import merkle
from amanah.ledger.checkpoint import open_checkpoint
from amanah.ledger.entry import decode
from amanah.ledger.hashing import leaf_hash
from amanah.ledger.log import Log
from amanah.ledger.proof import parse_proof
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.services.dispatch import Recorder
from amanah.services.ledger import LedgerService
from amanah.services.occurrence import OccurrenceService
from amanah.storage.units import open_storage

ORIGIN = "amanah.example/machine"
SKEY, VKEY = generate_key(ORIGIN, seed=bytes(range(32)))
ACTOR = Actor("machine-party", "machine-user")

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(datetime(2026, 1, 20, 6, tzinfo=UTC))
        self.storage = open_storage("memory://")
        recorder = Recorder(Log(ORIGIN, Ed25519Signer.from_skey(SKEY)))
        self.verifier = Ed25519Verifier.from_vkey(VKEY)
        self.ledger = LedgerService(self.storage, recorder, self.verifier, VKEY, self.clock)
        self.book = OccurrenceService(self.storage, recorder, self.clock, UTC)
        self.ledger.open_log("machine-party", ACTOR)
        self.leaves: list[bytes] = [leaf_hash(self.ledger.entry(0))]
        self.checkpoint_sizes: list[int] = [1]

    @rule(items=st.lists(texts, min_size=1, max_size=30))
    def append(self, items: list[str]) -> None:
        self.clock.advance(timedelta(minutes=1))
        now = self.clock.now()
        done = self.book.import_book([RecordOccurrence(now, t, "officer") for t in items], ACTOR)
        assert done.first_seq == len(self.leaves)
        for seq in range(done.first_seq, done.first_seq + len(items)):
            body = self.ledger.entry(seq)
            assert decode(body).seq == seq
            self.leaves.append(leaf_hash(body))
        self.checkpoint_sizes.append(len(self.leaves))

    @rule(good=st.lists(texts, max_size=5))
    def failed_append_writes_nothing(self, good: list[str]) -> None:
        now = self.clock.now()
        commands = [RecordOccurrence(now, t, "officer") for t in good]
        commands.append(RecordOccurrence(now + timedelta(days=2), "from the future", "officer"))
        before = self.ledger.latest_checkpoint()
        try:
            self.book.import_book(commands, ACTOR)
        except AmanahError:
            pass
        else:
            raise AssertionError("an entry dated in the future was accepted")
        assert self.ledger.latest_checkpoint() == before

    @rule()
    def checkpoint_matches_model(self) -> None:
        cp, _ = open_checkpoint(self.ledger.latest_checkpoint().note, self.verifier, ORIGIN)
        edge, _ = merkle.build(self.leaves)
        assert cp.size == len(self.leaves)
        assert cp.root == edge.root()

    @precondition(lambda self: len(self.leaves) > 1)
    @rule(data=st.data())
    def prove_inclusion(self, data: st.DataObject) -> None:
        size = data.draw(st.sampled_from(self.checkpoint_sizes))
        index = data.draw(st.integers(0, size - 1))
        receipt = parse_proof(self.ledger.prove(index, size))
        cp, _ = open_checkpoint(receipt.checkpoint, self.verifier, ORIGIN)
        merkle.verify_inclusion(index, size, self.leaves[index], receipt.proof, cp.root)

    @rule(data=st.data())
    def prove_consistency(self, data: st.DataObject) -> None:
        new = len(self.leaves)
        old = data.draw(st.integers(0, new))
        proof = self.ledger.consistency(old)
        edge_old, _ = merkle.build(self.leaves[:old])
        edge_new, _ = merkle.build(self.leaves)
        merkle.verify_consistency(old, new, edge_old.root(), edge_new.root(), proof)

    @invariant()
    def audit_passes(self) -> None:
        report = self.ledger.audit()
        assert report.ok, report.problems
        assert report.size == len(self.leaves)


LedgerMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=15, deadline=None)
TestLedgerMachine = LedgerMachine.TestCase
