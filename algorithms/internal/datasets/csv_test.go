package datasets

import "testing"

func TestLoadShapes(t *testing.T) {
	cases := []struct {
		name         string
		labels       []string
		rows, xc, yc int
	}{
		{"iris", []string{"target"}, 150, 4, 1},
		{"breast_cancer", []string{"malignant"}, 569, 30, 1},
		{"digits", []string{"target"}, 1797, 64, 1},
		{"diabetes", []string{"target"}, 442, 10, 1},
		{"linnerud", []string{"weight", "waste", "pulse"}, 20, 3, 3},
	}
	for _, c := range cases {
		x, y, err := Load(c.name, c.labels...)
		if err != nil {
			t.Fatal(err)
		}
		if x.Rows != c.rows || x.Cols != c.xc || y.Rows != c.rows || y.Cols != c.yc {
			t.Errorf("%s: x %d×%d y %d×%d", c.name, x.Rows, x.Cols, y.Rows, y.Cols)
		}
		if err := x.Validate("x"); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// The first digit image is a zero whose third pixel is 5.
	x, y, _ := Load("digits", "target")
	if x.Data[2] != 5 || y.Data[0] != 0 {
		t.Errorf("digits row 0 = %v… label %v", x.Data[:4], y.Data[0])
	}
}
