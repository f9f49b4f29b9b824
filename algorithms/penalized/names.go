package penalized

// Registry names of the algorithms in this package, as in PostgresML.
const (
	RidgeName                     = "ridge"
	LassoName                     = "lasso"
	ElasticNetName                = "elastic_net"
	StochasticGradientDescentName = "stochastic_gradient_descent"
	LinearSVMName                 = "linear_svm"
)

// isName reports whether name is one of the algorithms of this package, so
// that a model file cannot claim to be something this package did not write.
func isName(name string) bool {
	switch name {
	case RidgeName, LassoName, ElasticNetName, StochasticGradientDescentName, LinearSVMName:
		return true
	}
	return false
}
