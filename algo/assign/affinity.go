package assign

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Affinity scores every proposal against every evaluator: the cosine
// similarity of TF-IDF vectors of the proposal's text and the evaluator's
// expertise, in [0, 1]. The result is indexed [proposal][evaluator] and can
// be adjusted and passed back as Options.Affinity.
func Affinity(proposals []Proposal, evaluators []Evaluator) [][]float64 {
	docs := make([][]string, 0, len(proposals)+len(evaluators))
	for _, p := range proposals {
		docs = append(docs, Tokens(p.Text))
	}
	for _, e := range evaluators {
		docs = append(docs, Tokens(e.Expertise))
	}
	vecs := tfidf(docs)
	pv, ev := vecs[:len(proposals)], vecs[len(proposals):]
	out := make([][]float64, len(proposals))
	flat := make([]float64, len(proposals)*len(evaluators))
	for i := range out {
		out[i] = flat[i*len(evaluators) : (i+1)*len(evaluators)]
		for j := range ev {
			out[i][j] = dot(pv[i], ev[j])
		}
	}
	return out
}

// Tokens splits text into lower-case words of letters and digits, dropping
// English stop words and single characters, which carry no topic.
func Tokens(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := words[:0]
	for _, w := range words {
		if len([]rune(w)) > 1 && !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// term is one weighted term of a sparse, unit-length vector.
type term struct {
	id int
	w  float64
}

// tfidf weighs terms by sublinear frequency times smoothed inverse
// document frequency and normalises each vector.
func tfidf(docs [][]string) [][]term {
	ids := map[string]int{}
	df := []int{}
	counts := make([]map[int]int, len(docs))
	for i, d := range docs {
		counts[i] = map[int]int{}
		for _, w := range d {
			id, ok := ids[w]
			if !ok {
				id = len(ids)
				ids[w] = id
				df = append(df, 0)
			}
			if counts[i][id] == 0 {
				df[id]++
			}
			counts[i][id]++
		}
	}
	n := float64(len(docs))
	vecs := make([][]term, len(docs))
	for i, c := range counts {
		v := make([]term, 0, len(c))
		for id, k := range c {
			w := (1 + math.Log(float64(k))) * (math.Log((1+n)/(1+float64(df[id]))) + 1)
			v = append(v, term{id, w})
		}
		// Sorted before summing, so the norm does not depend on map order.
		sort.Slice(v, func(a, b int) bool { return v[a].id < v[b].id })
		norm := 0.0
		for _, t := range v {
			norm += t.w * t.w
		}
		if norm > 0 {
			norm = math.Sqrt(norm)
			for j := range v {
				v[j].w /= norm
			}
		}
		vecs[i] = v
	}
	return vecs
}

func dot(a, b []term) float64 {
	s := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			s += a[i].w * b[j].w
			i++
			j++
		}
	}
	return math.Min(s, 1)
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be
	because been before being below between both but by can could did do does doing down during each
	few for from further had has have having he her here hers herself him himself his how i if in into
	is it its itself just me more most my myself no nor not now of off on once only or other our ours
	ourselves out over own same she should so some such than that the their theirs them themselves then
	there these they this those through to too under until up very was we were what when where which
	while who whom why will with would you your yours yourself yourselves also may might must shall
	us via per within without across among upon etc e.g i.e`) {
		m[w] = true
	}
	return m
}()
