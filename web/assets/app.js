// eesim web view: reads a form, posts it to the JSON API, shows the result.
// Every value is written with textContent or as an attribute, never as HTML.
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const pct = (p) => (p === null || p === undefined ? "n/a" : Math.round(100 * p) + "%");
  const fix = (v) => (v === null || v === undefined ? "-" : String(Math.round(v)));
  const val = (form, name) => {
    const el = form.elements[name];
    return el ? el.value.trim() : "";
  };
  const numOrNull = (s) => (s === "" ? null : Number(s));

  function row(tbody, cells, numeric) {
    const tr = document.createElement("tr");
    cells.forEach((c, i) => {
      const td = document.createElement("td");
      td.textContent = c;
      if (numeric && numeric[i]) td.className = "num";
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  // language reads the fields prefix_test, prefix_reading, ... as a test
  // result of the profile JSON, or null when no test is chosen.
  function language(form, prefix) {
    const test = val(form, prefix + "_test");
    if (!test) return null;
    const l = { test: test };
    for (const k of ["reading", "writing", "speaking", "listening"]) {
      l[k] = numOrNull(val(form, prefix + "_" + k));
    }
    const d = val(form, prefix + "_test_date");
    if (d) l.test_date = d;
    return l;
  }

  const list = (s) => s.split(",").map((x) => x.trim()).filter((x) => x);

  function absences(text) {
    return text.split("\n").map((x) => x.trim()).filter((x) => x).map((line) => {
      const [depart, ret] = line.split(":");
      const a = { depart: depart.trim() };
      if (ret && ret.trim()) a["return"] = ret.trim();
      return a;
    });
  }

  // Request bodies, one per form.
  const bodies = {
    "projection-form": (f) => {
      const b = { horizon: val(f, "horizon"), runs: Number(val(f, "runs")), seed: Number(val(f, "seed")) };
      const sizes = list(val(f, "draw_size"));
      if (sizes.length) b.draw_size = sizes;
      return b;
    },
    "odds-form": (f) => {
      const p = {
        education: val(f, "education"),
        first_language: language(f, "l1"),
        canadian_work_years: Number(val(f, "canadian_work_years") || 0),
        foreign_work_years: Number(val(f, "foreign_work_years") || 0),
        certificate_of_qualification: f.elements.certificate_of_qualification.checked,
        provincial_nomination: f.elements.provincial_nomination.checked,
        sibling_in_canada: f.elements.sibling_in_canada.checked,
        job_offer: val(f, "job_offer"),
        canadian_study: val(f, "canadian_study"),
        spouse: null,
      };
      if (val(f, "birth_date")) p.birth_date = val(f, "birth_date");
      else if (val(f, "age")) p.age = Number(val(f, "age"));
      const l2 = language(f, "l2");
      if (l2) p.second_language = l2;
      if (f.elements.spouse_accompanying.checked) {
        p.spouse = {
          accompanying: true,
          canadian_or_pr: f.elements.spouse_canadian_or_pr.checked,
          education: val(f, "spouse_education"),
          canadian_work_years: Number(val(f, "spouse_canadian_work_years") || 0),
        };
        const sl = language(f, "sp");
        if (sl) p.spouse.first_language = sl;
      }
      const cats = list(val(f, "categories"));
      if (cats.length) p.categories = cats;
      if (val(f, "submitted")) p.submitted = val(f, "submitted") + "T00:00:00Z";
      return { profile: p, horizon: val(f, "horizon"), runs: Number(val(f, "runs")), seed: Number(val(f, "seed")) };
    },
    "whatif-form": (f) => {
      const sweep = val(f, "sweep");
      let spec = val(f, "from") + ":" + val(f, "to") + ":" + val(f, "step");
      if (sweep === "draw-size") spec = val(f, "family") + "=" + spec;
      const b = { sweep: sweep, spec: spec, horizon: val(f, "horizon"), runs: Number(val(f, "runs")) };
      if (val(f, "score")) {
        b.score = Number(val(f, "score"));
        b.programs = val(f, "programs");
      }
      return b;
    },
    "residency-form": (f) => {
      const b = { landing: val(f, "landing"), absences: absences(val(f, "absences")) };
      if (val(f, "as_of")) b.as_of = val(f, "as_of");
      return b;
    },
    "citizenship-form": (f) => {
      const b = { pr_date: val(f, "pr_date"), absences: absences(val(f, "absences")) };
      if (val(f, "pre_from") && val(f, "pre_to")) b.pre_pr = [{ from: val(f, "pre_from"), to: val(f, "pre_to"), kind: "temporary" }];
      if (val(f, "sign")) b.sign = val(f, "sign");
      return b;
    },
    "sponsor-form": (f) => ({ interests: Number(val(f, "interests")), quota: Number(val(f, "quota")), years: Number(val(f, "years")) }),
    "nseoi-form": (f) => {
      const b = { profile: JSON.parse(val(f, "profile") || "null") };
      if (val(f, "date")) b.date = val(f, "date");
      return b;
    },
  };

  // Renderers of the responses, one per form.
  const renders = {
    "projection-form": (d) => {
      const sec = $("#result");
      $(".meta", sec).textContent = `${d.runs} runs from the ${d.snapshot_date} pool, start ${d.start}, seed ${d.seed}.`;
      $(".download", sec).href = d.files["quantiles.csv"];
      const charts = $(".charts", sec);
      clear(charts);
      for (const fam of d.families) {
        const fig = document.createElement("figure");
        const img = document.createElement("img");
        img.src = d.charts["fan-" + fam + ".svg"];
        img.alt = "Projected cutoffs of " + fam;
        img.className = "chart";
        fig.appendChild(img);
        charts.appendChild(fig);
      }
      const tb = $(".quantiles tbody", sec);
      clear(tb);
      for (const q of d.quantiles) {
        row(tb, [q.month, q.family, String(q.size), fix(q.p10), fix(q.p50), fix(q.p90), q.runs + " of " + q.of_runs], [0, 0, 1, 1, 1, 1, 1]);
      }
    },
    "odds-form": (d) => {
      const sec = $("#result");
      const last = d.months[d.months.length - 1];
      // months has one row per calendar month end: none for a horizon
      // that ends before the first month end.
      $(".summary-line", sec).textContent = !last ? `No month ends within the horizon.` :
        `With ${d.description}, submitted ${d.candidate.submitted.slice(0, 10)}, the chance of an invitation by ${last.by} is ` +
        `${pct(last.p_invited_by)} (95% interval ${pct(last.p_lo95)}-${pct(last.p_hi95)} over ${d.runs} runs from the ${d.snapshot_date} pool).`;
      $(".wait", sec).textContent = d.median_wait_months === null
        ? "Median wait: not reached within the horizon (fewer than half the runs invited)."
        : `Median wait: ${d.median_wait_months.toFixed(1)} months (${d.median_wait_date}).`;
      const from = d.families.filter((f) => f.eligible && f.share !== null).map((f) => `${f.family} ${pct(f.share)}`);
      const never = d.families.filter((f) => !f.eligible).map((f) => f.family);
      $(".from", sec).textContent = (from.length ? `Invitations came from ${from.join(", ")} rounds. ` : "") +
        (never.length ? `Not eligible for the projected ${never.join(", ")} rounds.` : "");
      const ul = $(".warnings", sec);
      clear(ul);
      for (const w of d.warnings) {
        const li = document.createElement("li");
        li.textContent = "warning: " + w;
        ul.appendChild(li);
      }
      const img = $(".chart", sec);
      img.src = d.charts["odds.svg"];
      const tb = $(".months tbody", sec);
      clear(tb);
      for (const m of d.months) {
        row(tb, [m.by, pct(m.p_invited_by), `${pct(m.p_lo95)}-${pct(m.p_hi95)}`, `${m.invited_runs} of ${m.runs}`], [0, 1, 1, 1]);
      }
      $(".download", sec).href = d.files["odds.csv"];
      const g = $(".crs-groups tbody", sec);
      const r = $(".crs-rows tbody", sec);
      clear(g);
      clear(r);
      if (d.crs) {
        row(g, ["A. Core / human capital", String(d.crs.core)], [0, 1]);
        row(g, ["B. Spouse factors", String(d.crs.spouse)], [0, 1]);
        row(g, ["C. Skill transferability", String(d.crs.transferability)], [0, 1]);
        row(g, ["D. Additional points", String(d.crs.additional)], [0, 1]);
        row(g, ["Total", String(d.crs.total)], [0, 1]);
        for (const x of d.crs.rows) {
          row(r, [x.text.replace(/: -?\d+$/, ""), String(x.points)], [0, 1]);
        }
      }
    },
    "whatif-form": (d) => {
      const sec = $("#result");
      const img = $(".chart", sec);
      if (d.charts && d.charts["whatif.svg"]) img.src = d.charts["whatif.svg"];
      const tb = $(".points tbody", sec);
      clear(tb);
      for (const x of d.rows) {
        row(tb, [String(x.value), x.family, fix(x.p10), fix(x.p50), fix(x.p90), pct(x.p_invited)], [1, 0, 1, 1, 1, 1]);
      }
    },
    "residency-form": (d, f) => {
      $(".out", f).textContent = `Window ${d.window.start} to ${d.window.end}: ${d.window.credited} days credited of ${d.required_days}. ` +
        (d.complies ? "COMPLIES." : `does NOT comply (${d.shortfall} days short).`) +
        (d.comply_through ? ` Leaving now, still complies through ${d.comply_through}.` : "");
    },
    "citizenship-form": (d, f) => {
      $(".out", f).textContent = `Credited ${d.credited_days} of ${d.required_days} days (${d.period.start} to ${d.period.end}): ` +
        (d.eligible ? "MEETS the test." : "does NOT meet the test" + (d.earliest_eligible ? `; earliest ${d.earliest_eligible}.` : "."));
    },
    "sponsor-form": (d, f) => {
      const w = d.lottery.within_years.map((p, i) => `${i + 1} y: ${pct(p)}`).join(", ");
      $(".out", f).textContent = `Chance of an invitation each year ${pct(d.lottery.per_year)}; within ${w}.`;
    },
    "nseoi-form": (d, f) => {
      $(".out", f).textContent = `${d.total} of ${d.max} points; ` + (d.eligible ? "eligible." : "not eligible: " + d.reasons.join("; "));
    },
  };

  let inflight = null;

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.target;
    const status = $(".status");
    const error = $(".error");
    const result = $("#result");
    error.hidden = true;
    let body;
    try {
      body = JSON.stringify(bodies[form.id](form));
    } catch (e) {
      error.textContent = "The form could not be read: " + e.message;
      error.hidden = false;
      return;
    }
    if (inflight) inflight.abort();
    const ctl = new AbortController();
    inflight = ctl;
    status.hidden = false;
    const t0 = Date.now();
    const tick = setInterval(() => {
      $(".status-text").textContent = `Running… ${Math.round((Date.now() - t0) / 1000)} s`;
    }, 1000);
    try {
      const resp = await fetch(form.dataset.api, {
        method: "POST", body: body, signal: ctl.signal,
        headers: { "Content-Type": "application/json" },
      });
      const d = await resp.json();
      if (!resp.ok) throw new Error(d.error || resp.statusText);
      renders[form.id](d, form);
      if (result) result.hidden = false;
      document.body.dataset.state = "done";
    } catch (e) {
      if (e.name !== "AbortError") {
        error.textContent = e.message;
        error.hidden = false;
        document.body.dataset.state = "error";
      }
    } finally {
      clearInterval(tick);
      $(".status-text").textContent = "Running…";
      status.hidden = true;
      if (inflight === ctl) inflight = null;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-api]")) {
      form.addEventListener("submit", submit);
    }
    const cancel = $(".cancel");
    if (cancel) cancel.addEventListener("click", () => { if (inflight) inflight.abort(); });
    // What-if: the slider shows its value; cadence and mix have their own scales.
    const wf = $("#whatif-form");
    if (wf) {
      const to = wf.elements.to;
      const out = wf.elements.to_value;
      to.addEventListener("input", () => { out.value = to.value; });
      wf.elements.sweep.addEventListener("change", () => {
        const s = wf.elements.sweep.value;
        const ranges = { "draw-size": [0, 10000, 500, 1000, 6000, 1000], cadence: [1, 6, 1, 1, 4, 1], mix: [0, 1, 0.1, 0, 0.6, 0.2] };
        const [min, max, step, from, toV, st] = ranges[s];
        Object.assign(to, { min: min, max: max, step: step });
        to.value = toV;
        out.value = toV;
        wf.elements.from.value = from;
        wf.elements.step.value = st;
        $(".family", wf).hidden = s !== "draw-size";
      });
    }
  });
})();
