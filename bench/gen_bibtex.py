"""Write a deterministic BibTeX file of realistic paper entries, for the import benchmark.

    python bench/gen_bibtex.py [-n 10000] [--seed 2026] [-o bench/data/papers-10000.bib]

Every run with the same arguments writes the same bytes. Entries look like what people
export from arXiv, DBLP, Google Scholar and Zotero: titles with brace-protected acronyms,
1 to 12 authors (some names with LaTeX accents, some "Last, First"), abstracts (a quarter
with inline math or escaped percent signs), a DOI on most entries, an arXiv eprint on
many, month macros, a few @string venues and `and others`.
"""

import argparse
import random
from pathlib import Path

FIRST = (
    "Evan Jan Paul Chris Amanda Ethan Jared Sam Catherine Deep Ilya Dario Jacob Kamal "
    "Nicholas Carson Miles Sören José Zoë Łukasz Ana Jürgen Björn Chloé Đorđe Søren Hélène "
    "Yuki Wei Priya Ahmed Fatima Olga Mateusz Ines Rafael Noor Tomasz Aisha Lena Marco "
    "Hannah Daniel Leo Mia Oliver Sofia Lucas Emma Noah Ava Liam Zhang Sanjay Mehmet"
).split()
# Accented first names are written the way BibTeX exporters write them.
FIRST_LATEX = {
    "Sören": r"S{\"o}ren",
    "José": r"Jos{\'e}",
    "Zoë": r"Zo{\"e}",
    "Łukasz": r"{\L}ukasz",
    "Jürgen": r"J\"{u}rgen",
    "Björn": r"Bj{\"o}rn",
    "Chloé": r"Chlo\'{e}",
    "Đorđe": r"{\DJ}or{\dj}e",
    "Søren": r"S{\o}ren",
    "Hélène": r"H{\'e}l{\`e}ne",
}
LAST = (
    "Hubinger Leike Christiano Askell Perez Kaplan Bowman Olsson Ganguli Sutskever Amodei "
    "Steinhardt Ndousse Schiefer Denison Turner Müller Šimánek Gödel Dvořák Erdős Nguyễn "
    "Kowalczyk García Øvergaard Brontë Çelik Škoda Ölçer Lefèvre Smith Johnson Brown Lee "
    "Wang Chen Patel Kim Singh Tanaka Silva Rossi Novak Ivanova Hernández Schmidt Dubois "
    "Andersson Papadopoulos Kovačević Yılmaz Moreau Fischer Weber Costa Russo Haddad"
).split()
LAST_LATEX = {
    "Müller": r"M{\"u}ller",
    "Šimánek": r"{\v{S}}im{\'a}nek",
    "Gödel": r"G\"{o}del",
    "Dvořák": r"Dvo{\v{r}}{\'a}k",
    "Erdős": r"Erd{\H{o}}s",
    "Nguyễn": r"Nguy{\~{\^e}}n",
    "García": r"Garc{\'\i}a",
    "Øvergaard": r"{\O}vergaard",
    "Brontë": r"Bront{\"e}",
    "Çelik": r"{\c{C}}elik",
    "Škoda": r"{\v{S}}koda",
    "Ölçer": r"{\"O}l{\c{c}}er",
    "Lefèvre": r"Lef{\`e}vre",
    "Hernández": r"Hern{\'a}ndez",
    "Kovačević": r"Kova{\v{c}}evi{\'c}",
    "Yılmaz": r"Y{\i}lmaz",
}
ADJ = (
    "Scalable Robust Efficient Deceptive Adversarial Interpretable Sparse Causal Latent "
    "Contrastive Hierarchical Bayesian Federated Neural Probabilistic Emergent Steerable "
    "Persistent Faithful Calibrated Compositional Self-Supervised Multimodal Recurrent"
).split()
NOUN = (
    "Transformers Agents Representations Policies Gradients Circuits Features Models "
    "Optimizers Benchmarks Reward Models Embeddings Autoencoders Language Models Priors "
    "Attention Heads Value Functions World Models Classifiers Monitors Verifiers"
).split()
TASK = (
    "Reinforcement Learning|Program Synthesis|Question Answering|Image Classification|"
    "Machine Translation|Reward Hacking|Oversight|Preference Learning|Theorem Proving|"
    "Code Generation|Anomaly Detection|Time-Series Forecasting|Protein Folding|"
    "Mechanistic Interpretability|Out-of-Distribution Generalization|Red Teaming"
).split("|")
ACRONYM = "LLM GPT RLHF BERT MDP SGD PPO VAE GAN CNN RNN LSTM SAE DPO RL NLP".split()
TEMPLATES = (
    "{adj} {noun} for {task}",
    "Towards {adj} {noun}: A Study of {task}",
    "On the Limits of {adj} {noun} in {task}",
    "{acr}s as {adj} {noun}",
    "Learning {adj} {noun} with {acr} Feedback",
    "When Do {noun} Generalize? Evidence from {task}",
    "{adj} {noun} Persist Through Safety Training in {acr}s",
    "A Benchmark for {adj} {task}",
    "Scaling Laws for {adj} {noun}",
    "{task} with {adj} {noun} and {acr}",
)
WORDS = (
    "we study the problem of learning under distribution shift and show that standard "
    "methods fail in surprising ways our approach combines ideas from optimization and "
    "statistics to obtain provable guarantees experiments on several benchmarks confirm "
    "the theory and reveal new failure modes we release code and data to support further "
    "research on alignment evaluation robustness and interpretability of large models "
    "trained with human feedback across tasks domains and languages"
).split()
MATH = (
    r"$O(\sqrt{T})$",
    r"$\epsilon$-greedy",
    r"$\ell_2$",
    r"$k$-sparse",
    r"$\mathcal{O}(n \log n)$",
    r"$\alpha = 0.5$",
    r"90\%",
    r"\emph{provably}",
    r"\textit{in-context}",
)
JOURNALS = (
    "Journal of Machine Learning Research",
    "Transactions on Machine Learning Research",
    "Nature Machine Intelligence",
    "Artificial Intelligence",
    "Neural Computation",
)
CONFERENCES = (
    "Advances in Neural Information Processing Systems",
    "International Conference on Machine Learning",
    "International Conference on Learning Representations",
    "Proceedings of the {AAAI} Conference on Artificial Intelligence",
    "Findings of the Association for Computational Linguistics: {EMNLP}",
)
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
CATEGORIES = "cs.LG cs.AI cs.CL cs.CV stat.ML cs.CR cs.RO".split()


def author(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    first_tex, last_tex = FIRST_LATEX.get(first, first), LAST_LATEX.get(last, last)
    style = rng.random()
    if style < 0.45:
        return f"{last_tex}, {first_tex}"
    if style < 0.55:
        initial = first_tex[: first_tex.index("}") + 1] if first_tex[0] == "{" else first_tex[0]
        return f"{last_tex}, {initial}."
    return f"{first_tex} {last_tex}"


def abstract(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(90, 220))]
    if rng.random() < 0.25:
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(MATH))
    sentences, start = [], 0
    while start < len(words):
        end = min(len(words), start + rng.randint(12, 28))
        sentence = " ".join(words[start:end])
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        start = end
    return " ".join(sentences)


def title(rng):
    text = rng.choice(TEMPLATES).format(
        adj=rng.choice(ADJ),
        noun=rng.choice(NOUN),
        task=rng.choice(TASK),
        acr="{" + rng.choice(ACRONYM) + "}",
    )
    if rng.random() < 0.6:
        # Most real titles are longer than one template: a subtitle makes them distinct.
        subtitle = rng.choice(TEMPLATES).format(
            adj=rng.choice(ADJ),
            noun=rng.choice(NOUN),
            task=rng.choice(TASK),
            acr="{" + rng.choice(ACRONYM) + "}",
        )
        text = f"{text}: {subtitle}"
    return text + (f", Part {rng.randint(2, 9)}" if rng.random() < 0.05 else "")


def entry(rng, number):
    year = rng.randint(2005, 2025)
    arxiv_id = f"{year % 100:02d}{rng.randint(1, 12):02d}.{number:05d}"
    kind = rng.random()
    names = [author(rng) for _ in range(rng.randint(1, 12))]
    if rng.random() < 0.04:
        names.append("others")
    fields = [("title", "{" + title(rng) + "}"), ("author", "{" + " and ".join(names) + "}")]
    if kind < 0.35:
        entry_type = "article"
        venue = rng.choice(JOURNALS)
        fields.append(("journal", "jmlr" if venue == JOURNALS[0] else "{" + venue + "}"))
        fields += [("volume", f"{{{rng.randint(1, 60)}}}"), ("number", f"{{{rng.randint(1, 12)}}}")]
    elif kind < 0.75:
        entry_type = "inproceedings"
        fields.append(("booktitle", "{" + rng.choice(CONFERENCES) + "}"))
    else:
        entry_type = "misc"
    fields.append(("year", f"{{{year}}}"))
    if rng.random() < 0.6:
        fields.append(("month", rng.choice(MONTHS)))
    if entry_type != "misc":
        first_page = rng.randint(1, 900)
        fields.append(("pages", f"{{{first_page}--{first_page + rng.randint(5, 30)}}}"))
        fields.append(
            (
                "publisher",
                "{" + rng.choice(("PMLR", "Curran Associates, Inc.", "ACM", "Springer")) + "}",
            )
        )
    if entry_type != "misc" or rng.random() < 0.3:
        fields.append(("doi", f"{{10.{rng.randint(1000, 9999)}/ml.{year}.{number:05d}}}"))
    if entry_type == "misc" or rng.random() < 0.5:
        fields += [
            ("eprint", f"{{{arxiv_id}}}"),
            ("archivePrefix", "{arXiv}"),
            ("primaryClass", f"{{{rng.choice(CATEGORIES)}}}"),
        ]
        fields.append(("url", f"{{https://arxiv.org/abs/{arxiv_id}}}"))
    fields.append(("abstract", "{" + abstract(rng) + "}"))
    if rng.random() < 0.5:
        keywords = rng.sample(
            ("alignment", "safety", "interpretability", "RL", "LLMs", "evaluation"), 3
        )
        fields.append(("keywords", "{" + ", ".join(keywords) + "}"))
    key = f"{names[0].split(',')[0].split()[-1].strip('{}').lower()[:12]}{year}p{number}"
    key = "".join(ch for ch in key if ch.isalnum()) or f"entry{number}"
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def generate(count, seed=2026):
    rng = random.Random(seed)
    header = (
        "% Generated by bench/gen_bibtex.py: synthetic entries for the import benchmark.\n"
        '@string{jmlr = "Journal of Machine Learning Research"}\n\n'
    )
    return header + "\n".join(entry(rng, number) for number in range(1, count + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    output = args.output or Path(__file__).parent / "data" / f"papers-{args.count}.bib"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(generate(args.count, args.seed), encoding="utf-8")
    print(f"wrote {args.count} entries to {output} ({output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
