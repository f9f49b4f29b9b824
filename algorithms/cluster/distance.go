package cluster

// squaredDistance is the squared euclidean distance between a and b, which
// have the same length. It sums differences rather than using
// ‖a‖²−2a·b+‖b‖², which loses precision for nearby points far from the origin.
func squaredDistance(a, b []float64) float64 {
	var s float64
	b = b[:len(a)]
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return s
}

// nearestCentre returns the index of the centre (k rows of len(row) values
// in centres) closest to row, and the squared distance to it. Ties go to the
// lowest index, as in sklearn.
func nearestCentre(row, centres []float64) (int, float64) {
	p := len(row)
	best, bestDist := 0, squaredDistance(row, centres[:p])
	for c := 1; c*p < len(centres); c++ {
		if d := squaredDistance(row, centres[c*p:(c+1)*p]); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best, bestDist
}
